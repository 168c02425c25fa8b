import { typeCheck, PROJECTS, lint } from "./check";
const c0 = process.cpuUsage(); const t0 = Date.now();
const cache = new Map();
const programs = PROJECTS.map(p => typeCheck(p.tsconfig, undefined, cache).program);
const c1 = process.cpuUsage(c0); console.log("tsc", Date.now() - t0, Math.round((c1.user + c1.system) / 1000));
lint(programs).then(r => { const c = process.cpuUsage(c0); console.log("all", Date.now() - t0, Math.round((c.user + c.system) / 1000)); });
