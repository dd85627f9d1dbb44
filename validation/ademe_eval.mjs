// Evaluate rules of ADEME's publicodes model of digital uses for a list of situations.
// stdin: [{"situation": {...}, "rules": ["visio", ...]}, ...]; stdout: one {rule: value} per case.
// Run from the folder where the npm packages are installed (compare_ademe.py does so).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(process.cwd() + '/')
const publicodes = await import(require.resolve('publicodes'))
// The CommonJS build puts the engine one level down.
const Engine = publicodes.default?.default ?? publicodes.default
const modelPath = require.resolve(
  '@incubateur-ademe/publicodes-acv-numerique/publicodes-acv-numerique.model.json',
)
const silent = { log() {}, warn() {}, error() {} }
const engine = new Engine(JSON.parse(readFileSync(modelPath, 'utf8')), { logger: silent })
const cases = JSON.parse(readFileSync(0, 'utf8'))
const values = cases.map(({ situation, rules }) => {
  engine.setSituation(situation)
  return Object.fromEntries(rules.map((rule) => [rule, engine.evaluate(rule).nodeValue ?? 0]))
})
process.stdout.write(JSON.stringify(values))
