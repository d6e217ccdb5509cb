// dist/adapters/amplitude.min.js: registers the amplitude adapter for the script tag (see register.ts).
import { amplitudeAdapter } from '../amplitude';
import { register } from './register';

register('amplitude', amplitudeAdapter);
