ALTER TABLE "tip_notes" ADD COLUMN "unit_id" uuid;--> statement-breakpoint
ALTER TABLE "tip_notes" ADD CONSTRAINT "tip_notes_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Notes written before: an officer's note is shared with that officer's unit (its unit today,
-- the best record there is); every other note stays internal.
UPDATE "tip_notes" SET "unit_id" = "users"."unit_id" FROM "users" WHERE "users"."id" = "tip_notes"."author_id" AND "users"."role" = 'unit_officer';
