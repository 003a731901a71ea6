/**
 * A small, non-validating XML parser for the documents S3-compatible servers answer with
 * (`ListBucketResult`, `DeleteResult`, `Error`). Deno has no `DOMParser`, and these documents
 * need only elements, text, entities and CDATA: attributes are parsed but namespaces are
 * reduced to local names.
 *
 * @example
 * ```ts
 * import { childText, parseXml } from "./xml.ts";
 * const doc = parseXml("<Error><Code>NoSuchKey</Code></Error>");
 * console.log(childText(doc, "Code")); // "NoSuchKey"
 * ```
 * @module
 */
import { ZarrValueError } from "../errors.ts";

/** An XML element: local name, attributes and children (elements and text, in order). */
export interface XmlElement {
  /** Local name (without a namespace prefix). */
  name: string;
  /** Attributes by their written name. */
  attributes: Record<string, string>;
  /** Child elements and text nodes in document order. */
  children: (XmlElement | string)[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/**
 * Replaces the five predefined entities and numeric character references in `s`.
 *
 * @example
 * ```ts
 * import { decodeXmlEntities } from "./xml.ts";
 * decodeXmlEntities("a &amp; b &#x41;"); // "a & b A"
 * ```
 */
export function decodeXmlEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ent: string) => {
    if (ent[0] === "#") {
      const cp = ent[1] === "x" || ent[1] === "X"
        ? parseInt(ent.slice(2), 16)
        : parseInt(ent.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff) return whole;
      return String.fromCodePoint(cp);
    }
    return NAMED_ENTITIES[ent] ?? whole;
  });
}

const localName = (n: string) => {
  const i = n.indexOf(":");
  return i < 0 ? n : n.slice(i + 1);
};

/**
 * Parses an XML document and returns its root element. Throws `ZarrValueError` on malformed
 * input (unclosed or mismatched tags, no root element).
 *
 * @example
 * ```ts
 * import { parseXml } from "./xml.ts";
 * const root = parseXml('<?xml version="1.0"?><A x="1"><B>t</B><C/></A>');
 * console.log(root.name, root.attributes.x, root.children.length); // A 1 2
 * ```
 */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = text.length;
  const fail = (why: string): never => {
    throw new ZarrValueError(`malformed XML at offset ${i}: ${why}`);
  };
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (t.trim() !== "") fail("text outside the root element");
      return;
    }
    const last = top.children[top.children.length - 1];
    if (typeof last === "string") top.children[top.children.length - 1] = last + t;
    else top.children.push(t);
  };
  while (i < n) {
    const lt = text.indexOf("<", i);
    if (lt < 0) {
      addText(decodeXmlEntities(text.slice(i)));
      break;
    }
    if (lt > i) addText(decodeXmlEntities(text.slice(i, lt)));
    i = lt;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) fail("unterminated processing instruction");
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) fail("unterminated comment");
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9);
      if (end < 0) fail("unterminated CDATA section");
      addText(text.slice(i + 9, end));
      i = end + 3;
    } else if (text.startsWith("<!", i)) {
      // DOCTYPE (no internal subset support needed here)
      const end = text.indexOf(">", i + 2);
      if (end < 0) fail("unterminated declaration");
      i = end + 1;
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i + 2);
      if (end < 0) fail("unterminated end tag");
      const name = localName(text.slice(i + 2, end).trim());
      const top = stack.pop();
      if (top === undefined || top.name !== name) {
        fail(`unexpected </${name}>${top ? ` (open element: <${top.name}>)` : ""}`);
      }
      i = end + 1;
    } else {
      // start tag: name, attributes, optional "/"
      const m = /^<([^\s/>]+)/.exec(text.slice(i, i + 256));
      if (m === null) fail("invalid start tag");
      const el: XmlElement = { name: localName(m![1]), attributes: {}, children: [] };
      let j = i + m![0].length;
      const attrRe = /\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
      for (;;) {
        while (j < n && /\s/.test(text[j])) j++;
        if (text[j] === ">" || text.startsWith("/>", j)) break;
        attrRe.lastIndex = j;
        const a = attrRe.exec(text);
        if (a === null) fail("invalid attribute");
        el.attributes[a![1]] = decodeXmlEntities(a![3] ?? a![4]);
        j = attrRe.lastIndex;
      }
      const selfClosing = text.startsWith("/>", j);
      i = j + (selfClosing ? 2 : 1);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root === undefined) root = el;
      else fail("more than one root element");
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length > 0) fail(`unclosed element <${stack[stack.length - 1].name}>`);
  if (root === undefined) fail("no root element");
  return root!;
}

/**
 * The child elements of `el` named `name` (local name).
 *
 * @example
 * ```ts
 * import { childElements, parseXml } from "./xml.ts";
 * childElements(parseXml("<L><K>a</K><K>b</K></L>"), "K").length; // 2
 * ```
 */
export function childElements(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== "string" && c.name === name);
}

/**
 * The text content of an element (all descendant text, concatenated).
 *
 * @example
 * ```ts
 * import { parseXml, textOf } from "./xml.ts";
 * textOf(parseXml("<a>x<b>y</b></a>")); // "xy"
 * ```
 */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => typeof c === "string" ? c : textOf(c)).join("");
}

/**
 * The text of the first child element named `name`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { childText, parseXml } from "./xml.ts";
 * childText(parseXml("<R><IsTruncated>true</IsTruncated></R>"), "IsTruncated"); // "true"
 * ```
 */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = childElements(el, name)[0];
  return c === undefined ? undefined : textOf(c);
}

/**
 * Escapes text for use in XML content or a double-quoted attribute.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./xml.ts";
 * escapeXml("a<b & 'c'"); // "a&lt;b &amp; &apos;c&apos;"
 * ```
 */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&apos;",
  );
}
