// @ts-nocheck
// 
// Shell completion for bash, zsh and fish, generated from the commands' own flag lists so
// it never falls behind them.
import type { Command } from './command';
import { COMMON_OPTIONS } from './command';
import { usageError } from './errors';

function flagsOf(command: Command): string[] {
  const all = { ...COMMON_OPTIONS, ...command.options };
  return Object.keys(all).map((f) => `--${f}`);
}

/** Commands whose argument is a schedule (completed from `list --json`). */
const TAKES_SCHEDULE = [
  'show',
  'next',
  'edit',
  'rm',
  'enable',
  'disable',
  'run',
  'logs',
  'pause',
  'resume',
  'test-alerts',
  'why',
];

function bash(commands: Command[]): string {
  const cases = commands.map((c) => `    ${c.name}) flags="${flagsOf(c).join(' ')}" ;;`).join('\n');
  return `# bash completion for cmdop-scheduler: eval "$(cmdop-scheduler completion bash)"
_cmdop_scheduler() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=\${COMP_WORDS[1]} flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(' ')}" -- "$cur")); return
  fi
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ " ${TAKES_SCHEDULE.join(' ')} " == *" $cmd "* ]]; then
    local ids; ids=$(cmdop-scheduler list --json 2>/dev/null | sed -n 's/^    "id": "\\(sched_[^"]*\\)",*$/\\1/p')
    COMPREPLY=($(compgen -W "$ids" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _cmdop_scheduler cmdop-scheduler
`;
}

function zsh(commands: Command[]): string {
  return `#compdef cmdop-scheduler
# zsh completion for cmdop-scheduler: cmdop-scheduler completion zsh > "\${fpath[1]}/_cmdop-scheduler"
_cmdop_scheduler() {
  local -a commands
  commands=(
${commands.map((c) => `    '${c.name}:${c.summary.replace(/'/g, "'\\''").replace(/:/g, '\\:')}'`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "$words[2]" in
${commands
  .map(
    (c) =>
      `    ${c.name}) _arguments '*:file:_files' ${flagsOf(c)
        .map((f) => `'${f}'`)
        .join(' ')} ;;`,
  )
  .join('\n')}
  esac
}
compdef _cmdop_scheduler cmdop-scheduler
`;
}

function fish(commands: Command[]): string {
  const lines = [
    '# fish completion for cmdop-scheduler: cmdop-scheduler completion fish > ~/.config/fish/completions/cmdop-scheduler.fish',
    'complete -c cmdop-scheduler -f',
  ];
  for (const c of commands) {
    lines.push(
      `complete -c cmdop-scheduler -n '__fish_use_subcommand' -a ${c.name} -d '${c.summary.replace(/'/g, "\\'")}'`,
    );
    for (const f of flagsOf(c)) {
      lines.push(
        `complete -c cmdop-scheduler -n '__fish_seen_subcommand_from ${c.name}' -l ${f.slice(2)}`,
      );
    }
  }
  lines.push(
    `complete -c cmdop-scheduler -n '__fish_seen_subcommand_from ${TAKES_SCHEDULE.join(' ')}' -a '(cmdop-scheduler list --json 2>/dev/null | string match -r -g "\\"id\\": \\"(sched_[^\\"]+)\\"")'`,
    "complete -c cmdop-scheduler -n '__fish_seen_subcommand_from import' -F",
  );
  return `${lines.join('\n')}\n`;
}

export function completionCommand(all: () => Command[]): Command {
  return {
    name: 'completion',
    summary: 'print shell completion for bash, zsh or fish',
    help: `Usage: cmdop-scheduler completion bash|zsh|fish

  bash:  eval "$(cmdop-scheduler completion bash)"            (in ~/.bashrc)
  zsh:   cmdop-scheduler completion zsh > "\${fpath[1]}/_cmdop-scheduler"
  fish:  cmdop-scheduler completion fish > ~/.config/fish/completions/cmdop-scheduler.fish
`,
    args: [1, 1],
    async run(ctx) {
      const shell = ctx.positionals[0];
      const commands = all();
      if (shell === 'bash') ctx.out.write(bash(commands));
      else if (shell === 'zsh') ctx.out.write(zsh(commands));
      else if (shell === 'fish') ctx.out.write(fish(commands));
      else throw usageError(`completion takes bash, zsh or fish, got '${shell}'`);
      return 0;
    },
  };
}
