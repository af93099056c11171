/** An issue invented for tests whose texts try to inject HTML and script into the status page. */
export const HOSTILE_TITLE = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & "quotes"`;
export const HOSTILE_ITEM = `<b onmouseover="window.pwned=3">bold</b></td></tr></table><h1>forged</h1>`;

/** The file's text; `extra` lands in its summary (e.g. a secret that must never be shown). */
export function hostileIssue(extra = ''): string {
  return [
    '---',
    'id: "20261201"',
    `title: '${HOSTILE_TITLE.replace(/'/g, "''")}'`,
    'date: 2026-12-01',
    `summary: invented for tests ${extra}`,
    '---',
    '',
    '> 导读： invented for tests.',
    '',
    '# AI 前沿',
    '',
    `## 1.【x】[${HOSTILE_ITEM}](https://example.org/hostile) | example`,
    '',
    'invented for tests: a body with <script>window.pwned=4</script> in it.',
    '',
  ].join('\n');
}
