import { useState } from 'react';
import { useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { Notice, PageTitle } from '../layout/ui';
import { CreateUnitForm } from './CreateUnitForm';
import { UnitEditor } from './UnitEditor';
import { UnitList } from './UnitList';
import { useUnitSearch } from './use-units';

/** Units and the communes each covers; a new unit (border guard station, specialised unit). */
export function UnitsPage() {
  const { t } = useI18n();
  const provinces = useProvinces();
  const search = useUnitSearch();
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <>
      <PageTitle>{t.admin.unitsTitle}</PageTitle>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <div className="grid-2">
        <UnitList search={search} selected={selected} onSelect={setSelected} />
        <div>
          {selected ? (
            <UnitEditor
              key={selected}
              unitId={selected}
              onSaved={() => {
                setNotice(t.admin.updated);
                search.units.reload();
              }}
            />
          ) : null}
          <CreateUnitForm
            provinces={provinces}
            onCreate={search.create}
            onCreated={(unit) => {
              setNotice(t.admin.created);
              setSelected(unit.id);
            }}
          />
        </div>
      </div>
    </>
  );
}
