// Next's flat config (core web vitals + TypeScript rules), with Prettier owning formatting.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypeScript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    ignores: [".next/**", "node_modules/**", ".cache/**", "data/**", "artifacts/**", "public/ort/**", "bench/results/**", "next-env.d.ts"],
  },
];

export default config;
