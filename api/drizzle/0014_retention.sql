ALTER TABLE "tips" ALTER COLUMN "envelope" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
-- Tips that left the workflow before this migration: their retention clock starts at the audit
-- event that took them out (the last reject, mark_duplicate or close), else at their last change.
UPDATE "tips" SET "closed_at" = COALESCE(
  (SELECT max("audit_events"."occurred_at") FROM "audit_events"
    WHERE "audit_events"."subject_type" = 'tip' AND "audit_events"."subject_id" = "tips"."id"::text
      AND "audit_events"."action" IN ('tip.reject', 'tip.mark_duplicate', 'tip.close')),
  "tips"."updated_at")
WHERE "tips"."status" IN ('rejected', 'duplicate', 'closed');--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "legal_hold_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "legal_hold_by" uuid;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "legal_hold_reason" text;--> statement-breakpoint
CREATE INDEX "tips_retention_idx" ON "tips" USING btree ("closed_at","id") WHERE "tips"."purged_at" IS NULL AND "tips"."closed_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_envelope_until_purged_check" CHECK (("tips"."envelope" IS NULL) = ("tips"."purged_at" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_legal_hold_check" CHECK (("tips"."legal_hold_at" IS NULL) = ("tips"."legal_hold_by" IS NULL) AND ("tips"."legal_hold_at" IS NULL) = ("tips"."legal_hold_reason" IS NULL));--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_purged_not_held_check" CHECK ("tips"."purged_at" IS NULL OR "tips"."legal_hold_at" IS NULL);