import {
  QuestionCreateSchema,
  QuestionParamsSchema,
  TipQuestionListResponseSchema,
  TipQuestionResponseSchema,
} from '@tinbao/shared/api/questions';
import { UuidParamsSchema } from '@tinbao/shared/api/tips';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import { askQuestion, listQuestions, type QuestionsDeps, withdrawQuestion } from './service';

/**
 * Questions to the resident: listed, asked, withdrawn. There is no route that edits a question,
 * moves it to the notes, or turns a note into a question: the kind is fixed when it is written.
 */
export function questionRouteSpecs(deps: QuestionsDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tips/:id/questions',
      operationId: 'listTipQuestions',
      summary:
        'Questions to the resident and their answers, decrypted (audited as tip.questions_decrypted); marks the answers read',
      tag: 'questions',
      permission: 'tips.ask_resident',
      params: UuidParamsSchema,
      response: TipQuestionListResponseSchema,
      handler: ({ auth, params }) => listQuestions(deps, auth, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/tips/:id/questions',
      operationId: 'askTipQuestion',
      summary:
        'Asks the resident a question (they read it with their receipt code); sealed to the organisation key',
      tag: 'questions',
      permission: 'tips.ask_resident',
      params: UuidParamsSchema,
      body: QuestionCreateSchema,
      successStatus: 201,
      response: TipQuestionResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        question: await askQuestion(deps, auth, params.id, body.text),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/tips/:id/questions/:questionId/withdraw',
      operationId: 'withdrawTipQuestion',
      summary: 'Withdraws an unanswered question (409 question_not_open once answered or withdrawn)',
      tag: 'questions',
      permission: 'tips.ask_resident',
      params: QuestionParamsSchema,
      response: TipQuestionResponseSchema,
      handler: async ({ auth, params }) => ({
        ok: true,
        question: await withdrawQuestion(deps, auth, params.id, params.questionId),
      }),
    }),
  ];
}
