import { z } from 'zod';
import { ReplyBasis } from './chat';
import { isoDateTime, uuid } from './common';

const phrase = z.string().trim().min(1).max(200);

export const AnswerTestInput = z
  .object({
    question: z.string().trim().min(1, 'write the question a visitor would ask').max(500),
    language: z.enum(['en', 'it']).optional().describe("the page's language (default: read from the question)"),
    must_include: z.array(phrase).max(20).default([]).describe('words or phrases the answer must contain (case and accents ignored)'),
    must_not_include: z.array(phrase).max(20).default([]).describe('words or phrases the answer must not contain'),
    expect: z.enum(['answer', 'handoff']).default('answer').describe('answer: Bob answers itself; handoff: Bob does not answer and a person is offered or called'),
  })
  .meta({ id: 'AnswerTestInput' });
export type AnswerTestInput = z.infer<typeof AnswerTestInput>;

export const AnswerTest = AnswerTestInput.extend({
  id: uuid,
  language: z.enum(['en', 'it']).nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
}).meta({ id: 'AnswerTest' });
export type AnswerTest = z.infer<typeof AnswerTest>;

export const AnswerTestAgainst = z.enum(['published', 'draft']);
export type AnswerTestAgainst = z.infer<typeof AnswerTestAgainst>;

export const AnswerTestRunRequest = z
  .object({ against: AnswerTestAgainst.default('published').describe('draft: the open catalog draft and the default persona\'s draft, where there are any') })
  .meta({ id: 'AnswerTestRunRequest' });

/** Why a test failed: one entry per broken expectation. */
export const AnswerTestFailure = z
  .object({
    kind: z.enum(['missing', 'forbidden', 'expected_answer', 'expected_handoff']),
    phrase: z.string().optional().describe('missing / forbidden: the phrase'),
  })
  .meta({ id: 'AnswerTestFailure' });
export type AnswerTestFailure = z.infer<typeof AnswerTestFailure>;

export const AnswerTestResult = z
  .object({
    test_id: uuid,
    question: z.string(),
    language: z.enum(['en', 'it']),
    expect: z.enum(['answer', 'handoff']),
    must_include: z.array(z.string()),
    must_not_include: z.array(z.string()),
    reply: z.string(),
    outcome: z.enum(['answer', 'handoff', 'unanswered']).describe('unanswered: Bob said it does not know and offered a person'),
    basis: ReplyBasis.nullable(),
    passed: z.boolean(),
    failures: z.array(AnswerTestFailure),
    why: z.string().describe('the failures in one English sentence; empty when passed'),
  })
  .meta({ id: 'AnswerTestResult' });
export type AnswerTestResult = z.infer<typeof AnswerTestResult>;

/** What a run was against: the catalog version and the persona (with or without its draft). */
export const AnswerTestSubject = z
  .object({
    catalog_version: z.number().int().nullable(),
    catalog_status: z.enum(['published', 'draft']).nullable(),
    persona: z.object({ id: uuid, name: z.string(), version: z.number().int(), draft: z.boolean() }).nullable(),
  })
  .meta({ id: 'AnswerTestSubject' });
export type AnswerTestSubject = z.infer<typeof AnswerTestSubject>;

export const AnswerTestRunSummary = z
  .object({
    id: uuid,
    against: AnswerTestAgainst,
    trigger: z.enum(['manual', 'catalog_publish', 'persona_publish']),
    subject: AnswerTestSubject,
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    created_by: uuid.nullable(),
    created_at: isoDateTime,
  })
  .meta({ id: 'AnswerTestRunSummary' });
export type AnswerTestRunSummary = z.infer<typeof AnswerTestRunSummary>;

export const AnswerTestRun = AnswerTestRunSummary.extend({ results: z.array(AnswerTestResult) }).meta({ id: 'AnswerTestRun' });
export type AnswerTestRun = z.infer<typeof AnswerTestRun>;

/** The 409 `answer_tests_failed` details when a business blocks publishing on failed tests. */
export const AnswerTestsFailedDetails = z
  .object({ run_id: uuid, failing: z.array(z.object({ test_id: uuid, question: z.string(), why: z.string() })) })
  .meta({ id: 'AnswerTestsFailedDetails' });
