//! The layers over the panes, bottom first: the last one gets the keys and draws on top.
//! (helix calls it the compositor; gitui keeps its popups in a queue.)

use super::component::Component;
use super::form::Form;
use super::jobs::{Done, Job};
use super::walk::Walk;

#[derive(Default)]
pub struct Stack(Vec<Box<dyn Component>>);

impl std::ops::Deref for Stack {
    type Target = Vec<Box<dyn Component>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Stack {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Stack {
    /// Puts a layer on top.
    pub fn open(&mut self, layer: impl Component) {
        self.0.push(Box::new(layer));
    }

    /// The top layer, if it is a `T`.
    pub fn top<T: 'static>(&self) -> Option<&T> {
        self.0.last()?.as_any().downcast_ref()
    }

    /// Closes the layers on top while they are `T`s (the record popups a form or the heat
    /// map replaces).
    pub fn close_top<T: 'static>(&mut self) {
        while self.top::<T>().is_some() {
            self.0.pop();
        }
    }

    /// The topmost layer that is a `T`.
    pub fn find<T: 'static>(&self) -> Option<&T> {
        self.0.iter().rev().find_map(|c| c.as_any().downcast_ref())
    }

    pub fn find_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.0
            .iter_mut()
            .rev()
            .find_map(|c| c.as_any_mut().downcast_mut())
    }

    /// The open form (the topmost).
    pub fn form(&self) -> Option<&Form> {
        self.find()
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.find_mut()
    }

    /// Whether a layer holds typed text not on disk yet (see [`Component::pending`]).
    pub fn pending(&self) -> bool {
        self.0.iter().any(|layer| layer.pending())
    }

    /// The jobs the layers are waiting for, to run off the UI thread.
    pub fn take_jobs(&mut self) -> Vec<Job> {
        self.0.iter_mut().flat_map(|l| l.take_jobs()).collect()
    }

    /// Offers a background job's result to the layers, top first; the first that takes it
    /// keeps it. A result no layer takes is returned (the panes' own, or a layer's that
    /// closed meanwhile).
    pub fn deliver(&mut self, done: Done) -> Option<Done> {
        let mut done = Some(done);
        for layer in self.0.iter_mut().rev() {
            layer.on_done(&mut done);
            done.as_ref()?;
        }
        done
    }

    /// The open audit walk.
    pub fn walk(&self) -> Option<&Walk> {
        self.find()
    }
}
