// ESLint flat config: typescript-eslint's type-aware recommended rules; Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', 'data/', 'bench/results.json', 'dist/', 'web/dist/', 'web/src/gql/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Apollo Server's plugin hooks are async by contract, whether or not a hook awaits anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // scripts/ is JavaScript (it runs before anything is compiled), type-checked by tsc with checkJs,
  // which already reports undefined names.
  { files: ['scripts/**/*.js'], rules: { 'no-undef': 'off' } },
  prettier,
);
