/**
 * A strict-enough HTML well-formedness check for our generated markup: tags balance (void
 * elements and the raw-text `<style>` handled), attribute values are quoted, and no raw `<`,
 * `>` or `&` that is not an entity appears in text or attribute values.
 */
const VOID = new Set(["br", "img", "hr", "meta", "input", "link"]);

/** Returns a list of problems (empty when well-formed). */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tagRe =
    /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)\s*(\/?)>/y;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    const text = html.slice(i, lt < 0 ? html.length : lt);
    if (/>/.test(text)) problems.push(`raw > in text near ${JSON.stringify(text.slice(0, 40))}`);
    if (/&(?!(amp|lt|gt|quot|#x27|#\d+);)/.test(text)) problems.push(`raw & in text`);
    if (lt < 0) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(html);
    if (!m) {
      problems.push(`bad tag at ${lt}: ${JSON.stringify(html.slice(lt, lt + 60))}`);
      break;
    }
    const [whole, close, name, attrs, selfClose] = m;
    for (const a of attrs.matchAll(/="([^"]*)"/g)) {
      if (/&(?!(amp|lt|gt|quot|#x27|#\d+);)/.test(a[1]) && !a[1].startsWith("data:")) {
        problems.push(`raw & in attribute of <${name}>`);
      }
    }
    const tag = name.toLowerCase();
    i = lt + whole.length;
    if (close) {
      const top = stack.pop();
      if (top !== tag) problems.push(`</${tag}> closes <${top}>`);
    } else if (tag === "style") {
      const end = html.indexOf("</style>", i);
      if (end < 0) problems.push("unclosed <style>");
      i = end < 0 ? html.length : end + "</style>".length;
    } else if (!selfClose && !VOID.has(tag)) {
      stack.push(tag);
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(",")}`);
  return problems;
}
