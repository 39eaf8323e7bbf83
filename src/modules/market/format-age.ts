/** How old a mark is, in the fewest words that still tell 50 seconds from 50 minutes. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.floor(seconds))
  if (s < 10) return 'just now'
  if (s < 60) return `${s} s ago`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ago`
  const h = Math.floor(m / 60)
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min ago` : `${h} h ago`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h ago` : `${d} d ago`
}

/** Where a price came from, as a user reads it. */
export function sourceLabel(source: string | null | undefined): string {
  if (!source) return '—'
  if (source === 'manual') return 'by hand'
  if (source === 'document') return 'document'
  if (source.startsWith('feed:')) return `feed · ${source.slice(5)[0]!.toUpperCase()}${source.slice(6)}`
  if (source.startsWith('csv:')) return `file · ${source.slice(4)}`
  return source
}
