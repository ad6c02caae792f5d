import { useI18n } from '../i18n/i18n';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="btn btn-ghost lang-switch"
      lang={lang === 'vi' ? 'en' : 'vi'}
      aria-label={t.switchLanguageLabel}
      onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
      data-testid="language-switch"
    >
      {t.switchLanguage}
    </button>
  );
}
