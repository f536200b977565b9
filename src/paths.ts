import { fileURLToPath } from 'node:url';

/** The seeds/ directory shipped with the project. */
export const SEEDS_DIRECTORY = fileURLToPath(new URL('../seeds', import.meta.url));
