CREATE TABLE "unit_notification_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_notification_targets_unit_channel_address_key" UNIQUE("unit_id","channel","address"),
	CONSTRAINT "unit_notification_targets_channel_check" CHECK ("unit_notification_targets"."channel" IN ('telegram'))
);
--> statement-breakpoint
ALTER TABLE "unit_notification_targets" ADD CONSTRAINT "unit_notification_targets_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every unit's Telegram group becomes its first notification target, then the column goes.
INSERT INTO "unit_notification_targets" ("unit_id", "channel", "address")
  SELECT "id", 'telegram', "telegram_group_id" FROM "units" WHERE "telegram_group_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "units" DROP COLUMN "telegram_group_id";
