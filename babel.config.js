// Babel compiles TypeScript and JSX for jest and for webpack; `tsc --noEmit`
// does the type checking.
module.exports = {
  presets: [
    ['@babel/preset-env', { targets: { node: '20' } }],
    ['@babel/preset-react', { runtime: 'automatic' }],
    '@babel/preset-typescript',
  ],
};
