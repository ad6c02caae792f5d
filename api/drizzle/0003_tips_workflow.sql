CREATE TABLE "border_communes" (
	"commune_code" varchar(5) PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"added_by" uuid
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"province_code" varchar(2),
	"commune_code" varchar(5),
	"category" text,
	"venue_type" text,
	"border_area_only" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tip_deadline_extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tip_id" uuid NOT NULL,
	"previous_deadline_at" timestamp with time zone NOT NULL,
	"new_deadline_at" timestamp with time zone NOT NULL,
	"days" integer NOT NULL,
	"reason" text NOT NULL,
	"extended_by" uuid NOT NULL,
	"extended_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tip_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tip_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"body" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tip_routes" (
	"tip_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"routed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"routed_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"outcome" text,
	"outcome_note" "bytea",
	"outcome_at" timestamp with time zone,
	"outcome_by" uuid,
	CONSTRAINT "tip_routes_tip_id_unit_id_pk" PRIMARY KEY("tip_id","unit_id")
);
--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "duplicate_of" uuid;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "telegram_group_id" text;--> statement-breakpoint
ALTER TABLE "border_communes" ADD CONSTRAINT "border_communes_commune_code_admin_units_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_province_code_admin_units_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_commune_code_admin_units_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_deadline_extensions" ADD CONSTRAINT "tip_deadline_extensions_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_notes" ADD CONSTRAINT "tip_notes_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_routes" ADD CONSTRAINT "tip_routes_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_routes" ADD CONSTRAINT "tip_routes_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_rules_unit_idx" ON "routing_rules" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "tip_deadline_extensions_tip_idx" ON "tip_deadline_extensions" USING btree ("tip_id","extended_at");--> statement-breakpoint
CREATE INDEX "tip_notes_tip_idx" ON "tip_notes" USING btree ("tip_id","created_at");--> statement-breakpoint
CREATE INDEX "tip_routes_unit_idx" ON "tip_routes" USING btree ("unit_id","tip_id");--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_duplicate_of_tips_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."tips"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tips_deadline_idx" ON "tips" USING btree ("deadline_at","id");--> statement-breakpoint
CREATE INDEX "tips_priority_deadline_idx" ON "tips" USING btree ("priority" DESC NULLS LAST,"deadline_at","id");--> statement-breakpoint
CREATE INDEX "tips_duplicate_of_idx" ON "tips" USING btree ("duplicate_of");