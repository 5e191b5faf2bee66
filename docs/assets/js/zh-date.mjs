// Dates as 公文 writes them: 2026-04-06 -> 2026年4月6日 (anything else is returned as given).

export function zhDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : String(iso || "");
}
