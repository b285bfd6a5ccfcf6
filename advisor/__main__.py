from advisor.cli import main

if __name__ == "__main__":  # a spawned worker (model evaluate's folds) imports this module too
    main()
