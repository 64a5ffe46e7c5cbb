// Lint for bugs, not for layout: the recommended rules of ESLint,
// typescript-eslint (syntax only, no type information, so it stays fast) and
// eslint-plugin-vue, without the rules that only restate a formatting taste.
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // config/regions/source holds region data as published (a UMD bundle), not our code
  { ignores: ['dist/', 'node_modules/', 'test-artifacts/', 'data/', 'coverage/', 'config/regions/source/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // `_name` marks a parameter a signature needs but the body does not
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `ok ? a++ : b++` and `x && f()` as statements are deliberate here; a bare `x === 1` is still caught
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // Chinese text sets its columns with the ideographic space (U+3000) on purpose
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true }],
      // page, panel and chart names read better as one word in this codebase (Wall.vue, Tablet.vue)
      'vue/multi-word-component-names': 'off',
      // layout of templates is a matter of taste, not of bugs
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
      'vue/attributes-order': 'off',
      'vue/attribute-hyphenation': 'off',
      'vue/v-on-event-hyphenation': 'off',
      'vue/html-closing-bracket-spacing': 'off',
      'vue/mustache-interpolation-spacing': 'off',
      'vue/html-quotes': 'off',
      'vue/no-multi-spaces': 'off',
    },
  },
  {
    // tests read JSON bodies of any shape
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
