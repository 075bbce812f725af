// The terminal report: one block per scenario, one row per figure, direct and proxy side by side with
// their ratio (proxy ÷ direct), the time added where it is a latency, and the target where there is one.
// With --with-nginx, nginx's figure, ratio and added time follow the proxy's.
import { formatAdded, formatRatio, formatValue } from './format.mjs';

/**
 * @param {object} report what runBench returned
 * @param {{ color?: boolean }} [options]
 */
export function renderReport(report, { color = false } = {}) {
  const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const dim = (text) => paint('2', text);
  const bold = (text) => paint('1', text);
  const { meta } = report;
  const lines = [];
  lines.push(
    bold(`TokenPak bench · ${report.settings.profile} profile · ${meta.date}`),
    dim(
      `${meta.cpuModel} · ${meta.cores} cores · ${(meta.memoryBytes / 2 ** 30).toFixed(0)} GiB · Node ${meta.node} · ` +
        `load ${meta.loadAverage.map((x) => x.toFixed(2)).join(' ')}` +
        (meta.git ? ` · ${meta.git.commit}${meta.git.dirty ? '+changes' : ''}` : ''),
    ),
    dim(
      `Client, proxy and fake upstream are separate processes sharing ${meta.cores} cores; ratios are against direct (target ÷ direct). One run on a shared machine: noisy.`,
    ),
  );
  const withNginx = Object.values(report.scenarios).some((scenario) =>
    (scenario.rows ?? []).some((r) => r.nginx !== null && r.nginx !== undefined),
  );
  if (report.nginx?.note) lines.push(dim(report.nginx.note));
  if (report.workers?.note) lines.push(dim(report.workers.note));
  const header = [
    '',
    'direct',
    'proxy',
    'ratio',
    'added',
    ...(withNginx ? ['nginx', 'ratio', 'added'] : []),
    'target',
  ];
  const last = header.length - 1;
  let index = 0;
  for (const [name, scenario] of Object.entries(report.scenarios)) {
    index++;
    lines.push(
      '',
      bold(`${index}. ${scenario.title ?? name}`) + (scenario.subtitle ? dim(` — ${scenario.subtitle}`) : ''),
    );
    if (scenario.error) {
      lines.push(paint('31', `   failed: ${scenario.error}`));
      continue;
    }
    const cells = scenario.rows.map((r) => [
      r.label,
      formatValue(r.direct, r.unit),
      formatValue(r.proxy, r.unit),
      formatRatio(r.ratio),
      formatAdded(r.added, r.unit),
      ...(withNginx
        ? [formatValue(r.nginx, r.unit), formatRatio(r.nginxRatio), formatAdded(r.nginxAdded, r.unit)]
        : []),
      r.target ? `${r.target.text} ${mark(r.target.pass, paint)}` : '',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => visibleLength(c[i]))));
    const line = (c) =>
      '   ' +
      c
        .map((cell, i) => (i === 0 ? pad(cell, widths[i]) : i === last ? cell : padStart(cell, widths[i])))
        .join('  ')
        .trimEnd();
    lines.push(dim(line(header)));
    scenario.rows.forEach((r, i) => {
      lines.push(line(cells[i]));
      if (r.note) lines.push(dim(`     ↳ ${r.note}`));
    });
    lines.push(dim(`   (${scenario.seconds?.toFixed(1)} s)`));
  }
  const targets = collectTargets(report);
  if (targets.length > 0) {
    lines.push('', bold('Targets'));
    for (const t of targets) lines.push(`   ${mark(t.pass, paint)} ${t.scenario}: ${t.label} — ${t.text}`);
  }
  lines.push('', dim(`Total ${report.seconds.toFixed(0)} s.`));
  return lines.join('\n');
}

export function collectTargets(report) {
  const out = [];
  for (const scenario of Object.values(report.scenarios)) {
    for (const r of scenario.rows ?? []) {
      if (r.target)
        out.push({ scenario: scenario.title, label: r.label, text: r.target.text, pass: r.target.pass });
    }
  }
  return out;
}

function mark(pass, paint) {
  if (pass === null) return paint('33', '?');
  return pass ? paint('32', '✓') : paint('31', '✗');
}

function visibleLength(text) {
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function pad(text, width) {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

function padStart(text, width) {
  return ' '.repeat(Math.max(0, width - visibleLength(text))) + text;
}
