import { render } from 'preact';
import { App } from './App';
import './studio.css';

render(<App />, document.getElementById('app')!);
