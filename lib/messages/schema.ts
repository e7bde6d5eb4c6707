/** Message form schema (partner and editor), shared by forms and Server Actions. Keys in messages.json. */
import '@/lib/zod-setup';
import { z } from 'zod';

/** Longest message body, in characters after NFC normalisation. */
export const MESSAGE_MAX_LENGTH = 5000;

export const messageInputSchema = z
  .object({
    body: z
      .string({ error: 'messages.errors.bodyRequired' })
      .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
      .pipe(z.string().min(1, 'messages.errors.bodyRequired').max(MESSAGE_MAX_LENGTH, 'messages.errors.bodyTooLong')),
  })
  .strict();
export type MessageInput = z.infer<typeof messageInputSchema>;
