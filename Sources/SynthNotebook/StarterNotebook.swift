/// The notebook `synthlab new NAME` writes: front matter with params, prose, and a few cells that run as is.
package enum StarterNotebook {
    /// The starter text for a notebook titled `title`.
    package static func text(title: String) -> String {
        """
        ---
        title: \(yamlQuote(title))
        author: ""
        params:
          split: test
          rows: 3
        ---

        # \(title)

        Prose is Markdown. Fenced blocks marked `synth` are cells; they run top to bottom in one
        environment, and `synthlab run` renders everything into `reports/<name>.html` and `.json`.
        Cell options go in leading `#|` lines: `label`, `cache`, `echo`, `error`, `timeout`.

        ## Data

        ```synth
        #| label: load
        data = load scifact split=params.split
        show data
        ```

        ## A first look

        ```synth
        #| label: peek
        print "documents in the corpus:" data.documents
        ```

        ```synth
        #| label: plot
        plot line y={example: [0.9, 0.6, 0.45, 0.4]} title="a placeholder curve" xlabel="step"
        ```
        """ + "\n"
    }

    private static func yamlQuote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
