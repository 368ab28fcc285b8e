/**
 * Starts the server the way instrumentation.ts does, as a file for tests to spawn. Not `node -e`:
 * usearch finds its native build from the calling file's path, which eval code does not have (it
 * then walks up "../.." until the stack overflows, minutes later).
 */
import { startServer } from "@/lib/lifecycle";

startServer();
