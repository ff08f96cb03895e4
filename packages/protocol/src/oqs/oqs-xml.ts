/**
 * The result document as OQS writes it for clinic systems: UTF-8 XML, root `XmlMsg`, elements in the
 * model's order (readers must not depend on it: real documents vary). Values go out exactly as given (no normalisation), so a name with 𠮷, 髙 or an
 * ideographic variation sequence (葛󠄀 = U+845B U+E0100) reaches the EMR byte for byte.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { z } from 'zod';
import { elementFields } from './element-order.ts';
import {
  messageBodySchema,
  messageHeaderSchema,
  parseQualificationResult,
  type QualificationResult,
} from './qualification.ts';
import { ResultsError } from './results-error.ts';
import { firstForbidden, isForbiddenInValue, isXmlChar } from './xml-characters.ts';

export const ROOT_ELEMENT = 'XmlMsg';

export type ResultXmlErrorCode = 'invalid-character' | 'malformed' | 'doctype' | 'encoding' | 'not-a-result';

/** A document that cannot be written or read. Messages name elements and code points, never values. */
export class ResultXmlError extends ResultsError<ResultXmlErrorCode> {}

const parts = [
  ['MessageHeader', messageHeaderSchema],
  ['MessageBody', messageBodySchema],
] as const;

/**
 * The document for one result. The result is validated first (QualificationResultError when it is not
 * one); CharacterCodeIdentifier always says 0 because this document is UTF-8 whatever the source was.
 */
export function toOqsXml(result: QualificationResult): string {
  const valid = parseQualificationResult(result);
  const message = {
    ...valid,
    MessageHeader: { ...valid.MessageHeader, CharacterCodeIdentifier: '0' as const },
  };
  const doc = create({ version: '1.0', encoding: 'UTF-8', standalone: false });
  const root = doc.ele(ROOT_ELEMENT);
  for (const [name, schema] of parts) writeGroup(root.ele(name), schema, message[name], name);
  return `${doc.end({ prettyPrint: true, indent: '  ', newline: '\n', wellFormed: true })}\n`;
}

function writeGroup(parent: XMLBuilder, schema: z.ZodObject, value: object, path: string): void {
  const values = value as Record<string, unknown>;
  for (const field of elementFields(schema)) {
    const v = values[field.name];
    if (v === undefined) continue;
    const here = `${path}.${field.name}`;
    if (field.kind === 'group') writeGroup(parent.ele(field.name), field.schema, v as object, here);
    else if (field.kind === 'repeated') {
      (v as object[]).forEach((item, i) => {
        writeGroup(parent.ele(field.name), field.schema, item, `${here}[${i}]`);
      });
    } else {
      checkValue(String(v), here);
      parent.ele(field.name).txt(String(v));
    }
  }
}

function checkValue(text: string, path: string): void {
  const bad = firstForbidden(text, isForbiddenInValue);
  if (bad !== null) {
    throw new ResultXmlError(
      'invalid-character',
      `${path} contains the control or non-XML character ${bad}; fix the source of the value ` +
        '(a result document cannot carry it)',
    );
  }
}

/** Only the DOM a result document needs; xmlbuilder2's node type is deeper than this file cares about. */
interface DomNode {
  readonly nodeType: number;
  readonly localName?: string | null;
  readonly textContent: string | null;
  readonly childNodes: Iterable<DomNode>;
}

const ELEMENT_NODE = 1;

/** A document read: the result, and where it had elements the model does not know (skipped). */
export interface ReadResult {
  result: QualificationResult;
  /** Paths such as `MessageBody.ResultList.ResultOfQualificationConfirmation[0].FutureField`. */
  unknownElements: string[];
}

/** fromOqsXml, also saying which elements were skipped (a clinic tool may want to log them). */
export function readOqsXml(document: string | Uint8Array): ReadResult {
  const xml = typeof document === 'string' ? document : decodeUtf8(document);
  checkStructure(xml);
  let root: DomNode;
  try {
    root = create(
      {
        parser: {
          docType: () => {
            throw new ResultXmlError('doctype', 'a result document must not have a DOCTYPE');
          },
          sanitize: (s: string) => {
            const bad = firstForbidden(s, (c) => !isXmlChar(c));
            if (bad !== null) throw new ResultXmlError('invalid-character', `the document contains ${bad}`);
            return s;
          },
        },
      },
      xml,
    ).root().node as unknown as DomNode;
  } catch (error) {
    if (error instanceof ResultXmlError) throw error;
    throw new ResultXmlError('malformed', `not a well-formed XML document (${(error as Error).message})`);
  }
  if (root.localName !== ROOT_ELEMENT) {
    throw new ResultXmlError('not-a-result', `the root element is ${root.localName}, not ${ROOT_ELEMENT}`);
  }
  const unknownElements: string[] = [];
  const message: Record<string, unknown> = {};
  for (const child of elementsOf(root)) {
    const part = parts.find(([name]) => name === child.localName);
    if (part) message[part[0]] = readGroup(child, part[1], part[0], unknownElements);
    else unknownElements.push(child.localName ?? '');
  }
  return { result: parseQualificationResult(message), unknownElements };
}

/**
 * Reads a result document (tests, clinic tools) and validates it against the model. Elements are
 * taken by name, in whatever order they come, because real documents differ in order; elements the
 * model does not know are skipped (later OQS versions add fields), never refused.
 * xmlbuilder2's parser repairs what it cannot parse (an unclosed tag, a stray `<`), which would let a
 * truncated file through as a shorter name, so the tag structure is checked here before it is read.
 */
export function fromOqsXml(document: string | Uint8Array): QualificationResult {
  return readOqsXml(document).result;
}

function readGroup(
  element: DomNode,
  schema: z.ZodObject,
  path: string,
  unknown: string[],
): Record<string, unknown> {
  const fields = new Map(elementFields(schema).map((field) => [field.name, field]));
  const out: Record<string, unknown> = {};
  for (const child of elementsOf(element)) {
    const name = child.localName ?? '';
    const field = fields.get(name);
    const here = `${path}.${name}`;
    if (!field) {
      unknown.push(here);
      continue;
    }
    if (field.kind === 'group') out[name] = readGroup(child, field.schema, here, unknown);
    else if (field.kind === 'repeated') {
      const list = (out[name] ?? []) as unknown[];
      out[name] = list;
      list.push(readGroup(child, field.schema, `${here}[${list.length}]`, unknown));
    } else {
      const text = child.textContent ?? '';
      // An empty element says the same as an absent one; the model then reports a required one missing.
      if (text === '') continue;
      checkValue(text, here);
      out[name] = text;
    }
  }
  return out;
}

function* elementsOf(node: DomNode): Iterable<DomNode> {
  for (const child of node.childNodes) if (child.nodeType === ELEMENT_NODE) yield child;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ResultXmlError(
      'encoding',
      'the document is not valid UTF-8 (Shift_JIS documents are not read)',
    );
  }
}

const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/;
const TAG = /<(\/?)([^\s/>]+)[^<>]*?(\/?)>/g;

function checkStructure(xml: string): void {
  const declared = /^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(xml)?.[1];
  if (declared !== undefined && declared.toUpperCase() !== 'UTF-8') {
    throw new ResultXmlError('encoding', `the document declares encoding ${declared}; only UTF-8 is read`);
  }
  const markup = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, '');
  if (/<!DOCTYPE/i.test(markup))
    throw new ResultXmlError('doctype', 'a result document must not have a DOCTYPE');
  if (ENTITY.test(markup)) {
    throw new ResultXmlError('malformed', 'the document has a bare & or an entity XML does not define');
  }
  const open: string[] = [];
  let roots = 0;
  for (const [, closing, name, selfClosing] of markup.matchAll(TAG)) {
    if (closing) {
      const expected = open.pop();
      if (expected !== name) {
        throw new ResultXmlError('malformed', `</${name}> closes ${expected ? `<${expected}>` : 'nothing'}`);
      }
    } else {
      if (open.length === 0) roots++;
      if (!selfClosing) open.push(name!);
    }
  }
  if (open.length > 0) {
    throw new ResultXmlError('malformed', `the document ends inside <${open.at(-1)}> (truncated?)`);
  }
  if (roots !== 1) throw new ResultXmlError('malformed', `the document has ${roots} root elements, not 1`);
  if (markup.replace(TAG, '').includes('<')) {
    throw new ResultXmlError('malformed', 'the document has a < that starts no tag');
  }
}
