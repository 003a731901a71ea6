/**
 * Configuration helpers shared by the numcodecs filters: numpy dtype strings (`"<f8"`, `"u1"`,
 * `"float64"`, `"|O"`) parsed into data types and written back the way numpy's `dtype.str` does,
 * Python scalars, and the check that the data reaching a filter has the filter's `dtype`.
 *
 * @example
 * ```ts
 * import { dtypeOption, numpyStr } from "./options.ts";
 * const d = dtypeOption("numcodecs.delta", "dtype", ">i4");
 * console.log(d.dtype.name, numpyStr(d)); // int32 >i4
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../../errors.ts";
import {
  type DataType,
  dataTypeToV2,
  hasEndianness,
  parseDataType,
  parseNumpyDtype,
  type TypedArray,
} from "../../metadata/dtype.ts";
import { whereSuffix } from "../common.ts";
import type { Chunk } from "../types.ts";
import type { PyScalar } from "./numeric.ts";

/** A dtype option of a filter: the type, its byte order and the string as written. */
export interface DtypeOption {
  dtype: DataType;
  endian: "little" | "big" | null;
  /** The string given in the configuration. */
  text: string;
}

/** Which kinds a dtype option accepts. */
export type DtypeKinds = "numeric" | "real" | "float" | "text";

const KINDS: Record<DtypeKinds, readonly string[]> = {
  numeric: ["bool", "int", "uint", "float", "complex"],
  real: ["bool", "int", "uint", "float"],
  float: ["float"],
  text: ["string", "U"],
};

/**
 * Parses a numpy dtype string of a filter configuration; `"|O"` / `"O"` is the variable-length
 * string type (numcodecs' object arrays of str). Raises {@link MetadataValidationError} naming the
 * codec, the field and the array when the string is not a type of `kinds`.
 *
 * @example
 * ```ts
 * import { dtypeOption } from "./options.ts";
 * dtypeOption("numcodecs.categorize", "dtype", "|O", "text").dtype.name; // "string"
 * ```
 */
export function dtypeOption(
  codec: string,
  field: string,
  value: unknown,
  kinds: DtypeKinds = "numeric",
  where?: string,
): DtypeOption {
  if (typeof value !== "string") {
    throw new MetadataValidationError(
      `codec '${codec}': '${field}' must be a numpy dtype string, got ${JSON.stringify(value)}${
        whereSuffix(where)
      }`,
    );
  }
  let parsed: { dtype: DataType; endian: "little" | "big" | null };
  if (/^[<>|=]?O$/.test(value.trim())) parsed = { dtype: parseDataType("string"), endian: null };
  else {
    try {
      parsed = parseNumpyDtype(value);
    } catch {
      throw new MetadataValidationError(
        `codec '${codec}': '${field}' ${JSON.stringify(value)} is not a numpy dtype${
          whereSuffix(where)
        }`,
      );
    }
  }
  if (!KINDS[kinds].includes(parsed.dtype.kind)) {
    const what = kinds === "text"
      ? "a unicode ('U') or object ('O') type"
      : kinds === "float"
      ? "a floating point type"
      : "a numeric type";
    throw new MetadataValidationError(
      `codec '${codec}': '${field}' ${JSON.stringify(value)} is not ${what}${whereSuffix(where)}`,
    );
  }
  const endian = hasEndianness(parsed.dtype) ? (parsed.endian ?? "little") : null;
  return { dtype: parsed.dtype, endian, text: value };
}

/**
 * numpy's `dtype.str` of a dtype option (`"<f8"`, `"|u1"`, `"|b1"`, `"<U6"`, `"|O"`), as
 * numcodecs' `get_config` writes it.
 *
 * @example
 * ```ts
 * import { dtypeOption, numpyStr } from "./options.ts";
 * numpyStr(dtypeOption("numcodecs.astype", "encode_dtype", "float32")); // "<f4"
 * ```
 */
export function numpyStr(d: DtypeOption): string {
  return dataTypeToV2(d.dtype, d.endian ?? "little");
}

/**
 * `str(np.dtype)` of a native-order data type, as zarr-python 3 writes the `dtype` it fills in
 * (`"float64"`, `"int16"`, `"bool"`, `"<U6"`).
 *
 * @example
 * ```ts
 * import { numpyName } from "./options.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * numpyName(parseDataType("uint8")); // "uint8"
 * ```
 */
export function numpyName(dt: DataType): string {
  switch (dt.kind) {
    case "U":
    case "S":
    case "V":
    case "string":
    case "vbytes":
      return dataTypeToV2(dt, "little");
    default:
      return dt.name === "numpy.datetime64" || dt.name === "numpy.timedelta64" ? dt.str : dt.name;
  }
}

/**
 * Reads a Python scalar option (a JSON number or a big integer).
 *
 * @example
 * ```ts
 * import { scalarOption } from "./options.ts";
 * scalarOption("numcodecs.fixedscaleoffset", "scale", 10); // 10
 * ```
 */
export function scalarOption(
  codec: string,
  field: string,
  value: unknown,
  where?: string,
): PyScalar {
  if (typeof value === "number" || typeof value === "bigint") return value;
  throw new MetadataValidationError(
    `codec '${codec}': '${field}' must be a number, got ${JSON.stringify(value)}${
      whereSuffix(where)
    }`,
  );
}

/**
 * Checks that the data reaching a filter has the filter's `dtype` (numcodecs would reinterpret
 * the bytes otherwise); raises an `Error` naming the codec.
 *
 * @example
 * ```ts
 * import { checkInputType } from "./options.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * checkInputType("numcodecs.quantize", parseDataType("float32"), parseDataType("float32"));
 * ```
 */
export function checkInputType(codec: string, expected: DataType, actual: DataType): void {
  if (expected.str !== actual.str) {
    throw new Error(
      `codec '${codec}' has dtype '${expected.str}' but the data reaching it is '${actual.str}'`,
    );
  }
}

/**
 * The typed array of a numeric chunk; raises `CodecError` for object data.
 *
 * @example
 * ```ts
 * import { numericData } from "./options.ts";
 * numericData({ data: Int8Array.of(1), shape: [1] }); // Int8Array [1]
 * ```
 */
export function numericData(chunk: Chunk): TypedArray {
  if (!ArrayBuffer.isView(chunk.data)) throw new CodecError("expected numeric data");
  return chunk.data as TypedArray;
}
