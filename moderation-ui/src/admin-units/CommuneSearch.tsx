import type { CommunePlace } from '@tinbao/shared/api/places';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Field } from '../layout/ui';
import { placeLabel } from './place-label';
import { useCommuneSearch } from './use-communes';

/**
 * A commune found by typing its current or pre-2025 name (old commune, old district, with or
 * without diacritics), the same search the bot runs for residents. Each match shows its
 * province and the old name it came from; the caller decides what a pick does.
 */
export function CommuneSearch({
  onPick,
  provinceCode,
  label,
  testId = 'commune-search',
}: {
  onPick(place: CommunePlace): void;
  /** Only this province's communes (a province moderator); every province without it. */
  provinceCode?: string | undefined;
  label?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const found = useCommuneSearch(text, provinceCode);

  const pick = (place: CommunePlace) => {
    onPick(place);
    setText('');
  };
  const matches = found?.matches ?? [];

  return (
    <div className="commune-search" data-testid={testId}>
      <Field label={label ?? t.places.search} hint={t.places.hint}>
        {(id, describedBy) => (
          <input
            id={id}
            type="search"
            value={text}
            autoComplete="off"
            aria-describedby={describedBy}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              // Enter picks the best match; it never submits the form around the field.
              if (event.key === 'Enter') {
                event.preventDefault();
                const [first] = matches;
                if (first) pick(first);
              }
            }}
          />
        )}
      </Field>
      {found ? (
        <>
          <ul className="routes place-results" aria-label={t.places.results}>
            {matches.map((place) => (
              <li key={place.code}>
                <button
                  type="button"
                  className="btn btn-ghost place-result"
                  onClick={() => pick(place)}
                  data-testid="commune-search-result"
                  data-commune-code={place.code}
                >
                  {placeLabel(place, t.places)}
                </button>
              </li>
            ))}
          </ul>
          <p className="hint" aria-live="polite">
            {matches.length === 0
              ? t.places.none
              : found.total > matches.length
                ? t.places.more(found.total - matches.length)
                : null}
          </p>
        </>
      ) : null}
    </div>
  );
}
