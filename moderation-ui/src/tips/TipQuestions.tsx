import type { TipQuestion } from '@tinbao/shared/api/questions';
import { MAX_OPEN_QUESTIONS, MAX_QUESTION_LENGTH, QUESTION_TEMPLATES } from '@tinbao/shared/questions/text';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Button, ErrorNotice, Field } from '../layout/ui';
import { staffLabel } from './staff-label';

/**
 * Questions to the resident and their answers. The composer says its fixed visibility before
 * anything is written: what is typed here is read by the resident; notes have their own composer
 * and nothing moves a text from one to the other.
 */
export function TipQuestions({
  questions,
  mayAsk,
  onAsk,
  onWithdraw,
}: {
  questions: TipQuestion[];
  mayAsk: boolean;
  onAsk(text: string): Promise<void>;
  onWithdraw(questionId: string): Promise<void>;
}) {
  const { t, formatDateTime } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const open = questions.filter((question) => question.state === 'open').length;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    void run(async () => {
      await onAsk(text);
      setText('');
    });
  };

  return (
    <div>
      {questions.length === 0 ? (
        <p className="muted">{t.questions.none}</p>
      ) : (
        <ul className="notes" data-testid="tip-questions">
          {questions.map((question) => (
            <li key={question.id} data-testid="tip-question" data-state={question.state}>
              <div className="meta">
                <span className="badge" data-testid="question-state">
                  {t.questions[question.state]}
                </span>{' '}
                {staffLabel(
                  { name: question.askedByName, role: question.askedByRole, id: question.askedBy },
                  t.roles,
                )}{' '}
                · <time dateTime={question.askedAt}>{formatDateTime(question.askedAt)}</time>
              </div>
              <div style={{ whiteSpace: 'pre-wrap' }} data-testid="question-text">
                {question.text}
              </div>
              {question.answer ? (
                <blockquote data-testid="question-answer">
                  <div className="meta">
                    {t.questions.answer} ·{' '}
                    <time dateTime={question.answer.answeredAt}>
                      {formatDateTime(question.answer.answeredAt)}
                    </time>
                  </div>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{question.answer.text}</div>
                </blockquote>
              ) : null}
              {mayAsk && question.state === 'open' ? (
                <Button
                  busy={busy}
                  onClick={() => void run(() => onWithdraw(question.id))}
                  data-testid="question-withdraw"
                >
                  {t.questions.withdraw}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {mayAsk ? (
        <form onSubmit={submit} data-testid="question-composer">
          <p className="notice" role="note" data-testid="question-visibility">
            <strong>{t.questions.visibility}</strong> {t.questions.visibilityHint}
          </p>
          <ErrorNotice error={error} />
          <fieldset className="question-templates">
            <legend className="hint">{t.questions.templates}</legend>
            {QUESTION_TEMPLATES.map((template) => (
              <Button key={template} onClick={() => setText(template)} data-testid="question-template">
                {template}
              </Button>
            ))}
          </fieldset>
          <Field label={t.questions.label}>
            {(id) => (
              <textarea
                id={id}
                value={text}
                maxLength={MAX_QUESTION_LENGTH}
                onChange={(event) => setText(event.target.value)}
                data-testid="question-input"
              />
            )}
          </Field>
          <p className="hint">{t.questions.limit(MAX_OPEN_QUESTIONS)}</p>
          <Button
            type="submit"
            busy={busy}
            disabled={!text.trim() || open >= MAX_OPEN_QUESTIONS}
            data-testid="question-submit"
          >
            {t.questions.ask}
          </Button>
        </form>
      ) : (
        <ErrorNotice error={error} />
      )}
    </div>
  );
}
