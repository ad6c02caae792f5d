CREATE TABLE "tip_answers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"question_id" uuid NOT NULL,
	"tip_id" uuid NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"envelope" "bytea" NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "tip_answers_question_id_unique" UNIQUE("question_id")
);
--> statement-breakpoint
CREATE TABLE "tip_questions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tip_id" uuid NOT NULL,
	"asked_by" uuid NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"envelope" "bytea" NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" uuid,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "tip_answers" ADD CONSTRAINT "tip_answers_question_id_tip_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."tip_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_answers" ADD CONSTRAINT "tip_answers_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_questions" ADD CONSTRAINT "tip_questions_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tip_answers_unread_idx" ON "tip_answers" USING btree ("tip_id") WHERE read_at IS NULL;--> statement-breakpoint
CREATE INDEX "tip_questions_tip_idx" ON "tip_questions" USING btree ("tip_id","asked_at");