// dist/adapters/otlp.min.js: registers the otlp adapter for the script tag (see register.ts).
import { otlpAdapter } from '../otlp';
import { register } from './register';

register('otlp', otlpAdapter);
