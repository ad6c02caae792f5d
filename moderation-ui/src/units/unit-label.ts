/** A province's name for its code; the code itself until the names came (or for an unknown one). */
export function provinceName(provinceNames: Map<string, string>, provinceCode: string): string {
  return provinceNames.get(provinceCode) ?? provinceCode;
}

/** "CA-19564 · Công an xã Đakrông · Quảng Trị": units in different provinces look alike. */
export function unitLabel(
  unit: { code: string; name: string; provinceCode: string | null },
  provinceNames: Map<string, string>,
): string {
  const province = unit.provinceCode ? provinceName(provinceNames, unit.provinceCode) : null;
  return province ? `${unit.code} · ${unit.name} · ${province}` : `${unit.code} · ${unit.name}`;
}
