import { defineConfig } from 'drizzle-kit';

// Only for generating migrations (`npm run db:generate -w api`); they run on start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/schema.ts',
  out: './drizzle',
});
