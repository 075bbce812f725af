// Number formatting for the terminal table: each unit gets the precision a reader needs, no more.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** @param {number|null} value @param {string} unit */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'ms':
      return `${fixed(value)} ms`;
    case 'cpu-ms':
      // CPU per request is often a fraction of a millisecond: three decimals below 1 ms.
      return `${Math.abs(value) < 1 ? value.toFixed(3) : fixed(value)} ms`;
    case 'B/s':
      return `${(value / 1e6).toFixed(1)} MB/s`;
    case 'B':
      return value >= 10_000 ? `${(value / 1024).toFixed(1)} KB` : `${integer.format(value)} B`;
    case 'KB':
      return `${value.toFixed(1)} KB`;
    case 'cores':
      return value.toFixed(2);
    case 'count':
      return integer.format(value);
    default:
      return `${integer.format(value)} ${unit}`;
  }
}

export function formatAdded(value, unit) {
  if (value === null || value === undefined) return '';
  return `${value >= 0 ? '+' : '−'}${formatValue(Math.abs(value), unit)}`;
}

export function formatRatio(value) {
  if (value === null || value === undefined) return '';
  return `${value.toFixed(2)}×`;
}

function fixed(value) {
  const magnitude = Math.abs(value);
  if (magnitude < 10) return value.toFixed(2);
  if (magnitude < 100) return value.toFixed(1);
  return integer.format(value);
}
