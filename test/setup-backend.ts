// `GRADSTEP_BACKEND=js npm test` runs the whole suite on the JavaScript kernels (CI does both).
import { type BackendChoice, setBackend } from "gradstep";

const choice = process.env.GRADSTEP_BACKEND;
if (choice !== undefined && choice !== "") setBackend(choice as BackendChoice);
