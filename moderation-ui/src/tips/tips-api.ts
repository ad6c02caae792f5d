import { TipQuestionListResponseSchema, TipQuestionResponseSchema } from '@tinbao/shared/api/questions';
import {
  type DeadlineExtensionCreate,
  DeadlineExtensionResponseSchema,
  RoutingProposalsResponseSchema,
  TimelineResponseSchema,
  TipCountsResponseSchema,
  TipDetailResponseSchema,
  type TipListQueryInput,
  TipListResponseSchema,
  TipNoteCreatedResponseSchema,
  TipNoteListResponseSchema,
  type TipTransitionRequest,
  TipTransitionResponseSchema,
} from '@tinbao/shared/api/tips';
import { apiParse } from '../api/client';

const tipPath = (id: string, rest = '') => `/tips/${encodeURIComponent(id)}${rest}`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

/** The tips workflow endpoints; every answer is parsed with the shared schema it is sent with. */
export const tipsApi = {
  list: (query: TipListQueryInput, signal?: AbortSignal) =>
    apiParse(TipListResponseSchema, '/tips', {
      query: query as Record<string, string>,
      ...withSignal(signal),
    }),
  counts: (query: { provinceCode?: string; communeCode?: string; unitId?: string }, signal?: AbortSignal) =>
    apiParse(TipCountsResponseSchema, '/tips/counts', { query, ...withSignal(signal) }),
  detail: (id: string, signal?: AbortSignal) =>
    apiParse(TipDetailResponseSchema, tipPath(id), withSignal(signal)),
  timeline: (id: string, signal?: AbortSignal) =>
    apiParse(TimelineResponseSchema, tipPath(id, '/timeline'), withSignal(signal)),
  notes: (id: string, signal?: AbortSignal) =>
    apiParse(TipNoteListResponseSchema, tipPath(id, '/notes'), withSignal(signal)),
  addNote: (id: string, body: string) =>
    apiParse(TipNoteCreatedResponseSchema, tipPath(id, '/notes'), { method: 'POST', body: { body } }),
  questions: (id: string, signal?: AbortSignal) =>
    apiParse(TipQuestionListResponseSchema, tipPath(id, '/questions'), withSignal(signal)),
  askQuestion: (id: string, text: string) =>
    apiParse(TipQuestionResponseSchema, tipPath(id, '/questions'), { method: 'POST', body: { text } }),
  withdrawQuestion: (id: string, questionId: string) =>
    apiParse(
      TipQuestionResponseSchema,
      tipPath(id, `/questions/${encodeURIComponent(questionId)}/withdraw`),
      {
        method: 'POST',
      },
    ),
  transition: (id: string, request: TipTransitionRequest) =>
    apiParse(TipTransitionResponseSchema, tipPath(id, '/transitions'), { method: 'POST', body: request }),
  proposals: (id: string, signal?: AbortSignal) =>
    apiParse(RoutingProposalsResponseSchema, tipPath(id, '/routing-proposals'), withSignal(signal)),
  extendDeadline: (id: string, request: DeadlineExtensionCreate) =>
    apiParse(DeadlineExtensionResponseSchema, tipPath(id, '/deadline-extensions'), {
      method: 'POST',
      body: request,
    }),
};
