import { z } from "zod";
import { environmentSchema } from "./schema.js";

/** JSON Schema of what a user may write (input side: fields with defaults are optional). */
export function environmentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(environmentSchema, { io: "input", unrepresentable: "any" }),
    title: "opsctl environment",
    $id: "https://opsctl.dev/schemas/environment.schema.json",
  };
}
