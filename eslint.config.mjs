// ESLint flat config: typescript-eslint's type-aware rules plus @pulumi/eslint-plugin, which catches
// Outputs interpolated into plain template strings (they print "Calling [toString] on an Output").
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "bin/**", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
            // lib/aws.ts says why: the package's index loads (and declares) every service module.
            "no-restricted-imports": [
                "error",
                { paths: [{ name: "@pulumi/aws", message: "import lib/aws.ts, the provider modules this program uses." }] },
            ],
        },
    },
    // The layers (README "Layout"): `pulumi up` loads index.ts, components/, config/ and lib/ only, so
    // those never import tools/ or policy/; lib/ imports nothing of ours outside lib/; the policy pack
    // shares lib/ only. test/layers.test.ts checks the same on the resolved import graph, and cycles.
    {
        files: ["components/**/*.ts", "config/**/*.ts", "index.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "^(\\.\\./)+(tools|policy)(/|$)",
                            message: "components/ and config/ never import tools/ or policy/ (pulumi up would load them).",
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ["lib/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                { patterns: [{ regex: "^\\.\\./", message: "lib/ imports nothing of ours outside lib/." }] },
            ],
        },
    },
    {
        files: ["policy/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "^(\\.\\./)+(components|config|tools|test)(/|$)",
                            message: "the policy pack shares lib/ with the program, nothing else.",
                        },
                    ],
                },
            ],
        },
    },
    {
        // Tests read recorded inputs whose shapes are the AWS provider's, not ours.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
);
