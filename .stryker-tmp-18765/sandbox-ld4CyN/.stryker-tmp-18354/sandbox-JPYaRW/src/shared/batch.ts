// @ts-nocheck
// 
// POST /v1/schedules/batch (ours): up to 1,000 schedules in one request, validated all or
// nothing, with errors by index (`items.3.cron`). Import uses it; an item may carry the id
// and timestamps of an export so a moved schedule keeps them.
import { z } from 'zod';
import { isoTimestamp, scheduleCreateSchema } from './schemas';
import type { Schedule } from './types';

export const BATCH_MAX = 1000;

const SCHEDULE_ID = /^sched_[0-9A-Za-z]{1,64}$/;

export const batchItemSchema = scheduleCreateSchema.extend({
  /** Kept from an export; a new one is made when absent. */
  id: z
    .string()
    .regex(SCHEDULE_ID, { error: 'must be a schedule id such as sched_abc123' })
    .optional(),
  created_at: isoTimestamp.optional(),
  updated_at: isoTimestamp.optional(),
});

export const batchSchema = z.strictObject({
  items: z
    .array(batchItemSchema, { error: 'must be an array of schedules' })
    .min(1, { error: 'must hold at least one schedule' })
    .max(BATCH_MAX, { error: `must hold at most ${BATCH_MAX} schedules; send more batches` }),
});

export type BatchItemInput = z.input<typeof batchItemSchema>;
export type BatchItem = z.output<typeof batchItemSchema>;
export type BatchInput = z.input<typeof batchSchema>;

export interface BatchApi {
  /** Creates every item or none; the answer lists them in the order sent. */
  createBatch(input: BatchInput): Promise<Schedule[]>;
}
