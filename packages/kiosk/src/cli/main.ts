import { kioskProgram, runProgram } from './program.ts';

await runProgram(kioskProgram());
