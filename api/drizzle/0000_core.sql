CREATE TABLE "admin_units" (
	"code" varchar(5) PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"name" text NOT NULL,
	"unit_type" text NOT NULL,
	"parent_code" varchar(5),
	"search_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" varchar(64) NOT NULL,
	"hash" varchar(64) NOT NULL,
	CONSTRAINT "audit_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "tips" (
	"id" uuid PRIMARY KEY NOT NULL,
	"receipt_code" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"category" text NOT NULL,
	"province_code" varchar(2) NOT NULL,
	"commune_code" varchar(5) NOT NULL,
	"venue_type" text NOT NULL,
	"observed" text NOT NULL,
	"channel" text NOT NULL,
	"priority" smallint DEFAULT 1 NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"envelope" "bytea" NOT NULL,
	"reply_token" "bytea",
	"triaged_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "tips_receipt_code_unique" UNIQUE("receipt_code")
);
--> statement-breakpoint
CREATE TABLE "unit_communes" (
	"unit_id" uuid NOT NULL,
	"commune_code" varchar(5) NOT NULL,
	CONSTRAINT "unit_communes_unit_id_commune_code_pk" PRIMARY KEY("unit_id","commune_code")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"province_code" varchar(2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_province_code_admin_units_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_commune_code_admin_units_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_communes" ADD CONSTRAINT "unit_communes_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_communes" ADD CONSTRAINT "unit_communes_commune_code_admin_units_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_province_code_admin_units_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_units_parent_idx" ON "admin_units" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id","seq");--> statement-breakpoint
CREATE INDEX "tips_queue_idx" ON "tips" USING btree ("status","priority" DESC NULLS LAST,"deadline_at","id");--> statement-breakpoint
CREATE INDEX "tips_commune_idx" ON "tips" USING btree ("commune_code","received_at");--> statement-breakpoint
CREATE INDEX "tips_province_idx" ON "tips" USING btree ("province_code","received_at");--> statement-breakpoint
CREATE INDEX "tips_received_idx" ON "tips" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "unit_communes_commune_idx" ON "unit_communes" USING btree ("commune_code");