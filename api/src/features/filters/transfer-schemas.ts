import { z } from '@hono/zod-openapi';
import { RuleSchema } from './schemas';

/** Base64 of the largest body the import routes take (8 MiB, the raw editor's): a larger file is refused by size before it is read. */
const MAX_BASE64_CHARS = Math.ceil((8 * 1024 * 1024) / 3) * 4;

export const ImportFileSchema = z
  .object({
    file: z
      .string({ error: 'required' })
      .max(MAX_BASE64_CHARS, { error: 'too_large' })
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'invalid' })
      .openapi({ description: 'The .sieve file’s bytes, base64: the server reads them as UTF-8 itself, so a file that is not is told apart' }),
  })
  .strict()
  .openapi('FiltersImportFile');

const BlockSchema = z.object({ text: z.string(), name: z.string().optional(), writer: z.string().optional() });
const ProblemSchema = z.object({ line: z.number().int().nullable(), column: z.number().int().optional(), message: z.string() });

export const ImportPreviewSchema = z
  .object({
    etag: z.string().openapi({ description: 'The filters’ ETag the preview was made against: If-Match of POST /filters/import' }),
    added: z.array(RuleSchema).openapi({ description: 'Rules of the file whose name the user has no rule by' }),
    changed: z.array(RuleSchema).openapi({ description: 'Rules of the file that replace a rule of the same name that differs' }),
    removed: z.array(RuleSchema).openapi({ description: 'The user’s rules the file has none of the same name for' }),
    unchanged: z.number().int(),
    customAdded: z.array(BlockSchema).openapi({ description: 'Blocks the rule editor cannot represent: kept as custom Sieve, byte for byte' }),
    customRemoved: z.array(BlockSchema),
    customUnchanged: z.number().int(),
    sectionsSkipped: z.array(z.string()).openapi({ description: 'The app’s own sections found in the file (vacation, spam…): not imported' }),
    warnings: z.array(ProblemSchema).openapi({ description: 'The server’s warnings about the file, by line' }),
  })
  .openapi('FiltersImportPreview');
