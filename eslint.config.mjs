// `npm run lint` (part of `npm test`): type-checked rules on every file tsconfig.json type-checks,
// plain recommended rules on the Node .mjs scripts. Zero warnings allowed.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }];

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'coverage/', 'test-results/', 'tmp/', '.electron-native/'] },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The point of linting here: a promise nobody awaits or handles is a silent bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `Promise.all(xs.map((x) => cached[x] ?? compute(x)))` mixes values and promises on purpose.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      // A leading underscore marks a parameter or destructured-away field as deliberately unused.
      '@typescript-eslint/no-unused-vars': unusedVars,
      // A `let` assigned once but read earlier by a closure (checked for undefined) cannot be a `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The `any` they flag comes from JSON.parse/Response.json at the edges; the fix would be a cast, which checks nothing.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Async functions without await implement promise-returning interfaces (stores, handlers, test fakes).
      '@typescript-eslint/require-await': 'off',
      // `if (x) (where.push(…), args.push(…))` is a house idiom; tsc already reports operands without effect (TS2695).
      '@typescript-eslint/no-unused-expressions': 'off',
      // Removing casts the compiler ignores changes nothing at run time; not worth the churn in files under rewrite.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': unusedVars },
  },
);
