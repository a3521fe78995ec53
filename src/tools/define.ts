import { z } from 'zod';
import type { Principal } from '../auth/types.js';
import type { FrappeClient } from '../frappe/client.js';
import type { AuditLog } from '../audit/log.js';
import type { Logger } from '../log/logger.js';

/** Every tool states all four hints; registry.test.ts asserts it. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The limits tools apply to what they return, from config. */
export interface ToolLimits {
  pageSize: number;
  maxPageSize: number;
  maxResultBytes: number;
  methodAllowlist: readonly string[];
}

/** What a handler gets besides its arguments. It never sees the raw credential. */
export interface ToolContext {
  frappe: FrappeClient;
  principal: Principal;
  log: Logger;
  limits: ToolLimits;
  signal?: AbortSignal;
  /** The audit trail; absent when audit is off. Written by src/tools/run.ts only. */
  audit?: AuditLog;
}

export interface ToolDefinition<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  /** snake_case verb_noun. */
  name: string;
  title: string;
  /** Written as a prompt: what it does, then when to use it and what to use instead. */
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** Returns plain data matching `output`; throws FrappeError or ToolInputError, never catches them. */
  handler(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<z.infer<z.ZodObject<O>>>;
}

/** A tool the registry holds, with its schemas compiled once at start-up. */
export interface RegisteredTool {
  def: ToolDefinition;
  inputSchema: z.ZodObject;
  listing: {
    name: string;
    title: string;
    description: string;
    inputSchema: Record<string, unknown>;
    outputSchema: Record<string, unknown>;
    annotations: ToolAnnotations & { title: string };
  };
}

export interface Toolset {
  id: string;
  description: string;
  tools: ToolDefinition[];
}

/** Keeps handler argument types inferred from the zod shapes. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  def: ToolDefinition<I, O>,
): ToolDefinition {
  return def;
}

export function toolset(t: Toolset): Toolset {
  return t;
}

/** Raised by a handler for input that passed the schema but makes no sense (e.g. a bad cursor). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

function jsonSchema(schema: z.ZodObject): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** Compiles a tool once: its zod input object and the JSON Schemas tools/list shows. */
export function registerTool(def: ToolDefinition): RegisteredTool {
  const inputSchema = z.object(def.input).strict();
  return {
    def,
    inputSchema,
    listing: {
      name: def.name,
      title: def.title,
      description: def.description,
      inputSchema: jsonSchema(inputSchema),
      outputSchema: jsonSchema(z.object(def.output)),
      annotations: { title: def.title, ...def.annotations },
    },
  };
}
