// dist/adapters/amplitude.min.js: registers the amplitude adapter for the script tag (see register.ts); load it after base.min.js.
import { amplitudeAdapter } from '../amplitude';
import { register } from './register';

register('amplitude', amplitudeAdapter);
