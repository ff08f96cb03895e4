import { z } from 'zod';

/** One child element of an OQS message part, in document order. */
export type ElementField =
  | { name: string; kind: 'text'; optional: boolean }
  | { name: string; kind: 'group'; optional: boolean; schema: z.ZodObject }
  | { name: string; kind: 'repeated'; optional: boolean; schema: z.ZodObject };

/**
 * The children of one message part, read off its zod shape. The model is the single place that
 * states element order: the XML writer and reader follow this, and the schema test holds the XSD to it.
 */
export function elementFields(schema: z.ZodObject): ElementField[] {
  return Object.entries(schema.shape).map(([name, declared]) => {
    const optional = declared instanceof z.ZodOptional;
    const inner = optional ? (declared as z.ZodOptional).unwrap() : declared;
    if (inner instanceof z.ZodObject) return { name, kind: 'group', optional, schema: inner };
    if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject) {
      return { name, kind: 'repeated', optional, schema: inner.element };
    }
    return { name, kind: 'text', optional };
  });
}
