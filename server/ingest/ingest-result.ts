/** What an ingest batch answers (DESIGN §4): counts, and each refused item with its reason. */
export interface Rejection { index: number; id: string | null; error: string }
export interface IngestResult { accepted: number; duplicates: number; outOfOrder: number; rejected: Rejection[] }
