import 'aws-sdk-client-mock-vitest/extend';
import { ensurePromiseWithResolvers } from '../sandbox/ensurePromiseWithResolvers.ts';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks (Node 22 has it).
ensurePromiseWithResolvers();
