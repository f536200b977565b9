import { fileURLToPath } from 'node:url';

/** The seeds/ directory shipped with the project. */
export const SEEDS_DIRECTORY = fileURLToPath(new URL('../seeds', import.meta.url));

/** Where `npm run build` puts the web app (web/dist), served at /app. */
export const WEB_APP_DIRECTORY = fileURLToPath(new URL('../web/dist', import.meta.url));
