/** A worker thread of the extraction pool (services/extraction-pool.ts): one extraction per task. */
import { type Extraction, extract } from './index.js';

export interface ExtractionTask {
  body: string;
  title: string | null;
}

export default function runTask({ body, title }: ExtractionTask): Extraction {
  return extract(body, title);
}
