DROP INDEX "tips_received_id_idx";--> statement-breakpoint
CREATE INDEX "tips_received_id_idx" ON "tips" USING btree ("received_at","id");