// dist/adapters/otlp.min.js: registers the otlp adapter for the script tag (see register.ts); load it after base.min.js.
import { otlpAdapter } from '../otlp';
import { register } from './register';

register('otlp', otlpAdapter);
