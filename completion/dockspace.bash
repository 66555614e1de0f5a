# bash completion for dockspace(1)
# Installed by `make install` into the bash-completion directory.

_dockspace()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="space tier threshold fits usage engine prune pin unpin
		layers image-size untag sizes-report checkpoint report
		report-text monitor config platforms handoff where pipeline-summary
		pipeline-record ci-section yes help"
	local common="--host -H --context --budget --timeout --state-dir --help"

	# options that take a value
	case $prev in
	--state-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-H|--host|--context|--budget|--timeout|--keep|--until|--max-cache|\
	--free|--protect|--platforms)
		return
		;;
	esac

	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-H|--host|--context|--budget|--timeout|--state-dir) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi
	case $cmd in
	help)
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	prune)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--keep --until --max-cache --free
				--protect --strict --dry-run --json --quiet
				$common" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "images dangling containers cache
				volumes" -- "$cur"))
		fi
		;;
	usage|layers)
		COMPREPLY=($(compgen -W "--json $common" -- "$cur"))
		;;
	report-text)
		COMPREPLY=($(compgen -W "text markdown $common" -- "$cur"))
		;;
	platforms)
		COMPREPLY=($(compgen -W "native --release --platforms $common" -- "$cur"))
		;;
	handoff)
		COMPREPLY=($(compgen -W "--prune-source $common" -- "$cur"))
		;;
	threshold)
		COMPREPLY=($(compgen -W "full medium minimal" -- "$cur"))
		;;
	config)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--output $common" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		;;
	space)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common" -- "$cur"))
		elif [ "$prev" = space ]; then
			COMPREPLY=($(compgen -W "B kB MB GB TB KiB MiB GiB TiB K M G T" -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi
		;;
	*)
		COMPREPLY=($(compgen -W "$common" -- "$cur"))
		;;
	esac
}
complete -F _dockspace dockspace
